"""`gongkai redact`: writes the redacted file, exits 1 when something survived, 2 on bad input (messages in Chinese)."""

import subprocess

import pymupdf
from weasyprint import HTML

from gongkai.cli import main

SENTENCE = "申请人张三，联系电话13812345678，其他内容照常公开。"


def _pdf(path, text=SENTENCE):
    path.write_bytes(HTML(string=f"<p style='font-family:Noto Sans CJK SC'>{text}</p>").write_pdf())
    return str(path)


def test_redact_writes_a_clean_file_and_check_agrees(tmp_path, capsys):
    src = _pdf(tmp_path / "申请.pdf")
    out = tmp_path / "遮盖后.pdf"
    assert main(["redact", src, "-o", str(out), "--text", "张三", "--pii"]) == 0
    printed = capsys.readouterr().out
    assert "核验通过" in printed and "遮盖2处" in printed
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "张三" not in text and "13812345678" not in text and "其他内容照常公开" in text
    assert main(["redact", "--check", str(out), "--text", "张三", "--pii"]) == 0


def test_check_of_an_unredacted_file_exits_1_and_says_what_survived(tmp_path, capsys):
    src = _pdf(tmp_path / "申请.pdf")
    assert main(["redact", "--check", src, "--text", "张三"]) == 1
    err = capsys.readouterr().err
    assert "第1页（文字层）仍有标记内容“张三”" in err and "手机号“138****5678”" in err


def test_a_redaction_that_leaves_something_exits_1(tmp_path, capsys):
    src = _pdf(tmp_path / "申请.pdf")
    out = tmp_path / "out.pdf"
    assert main(["redact", src, "-o", str(out), "--text", "张三"]) == 1  # the phone number was not marked
    assert out.exists() and "仍有手机号" in capsys.readouterr().err
    assert main(["redact", src, "-o", str(out), "--text", "张三", "--allow", "138-1234-5678"]) == 0


def test_bad_arguments_and_input_exit_2_in_chinese(tmp_path, capsys):
    src = _pdf(tmp_path / "申请.pdf")
    wrong = tmp_path / "申请.docx"
    wrong.write_bytes((tmp_path / "申请.pdf").read_bytes())
    cases = [
        (["redact", src], "请给出要遮盖的文件和 -o 输出文件"),
        (["redact", src, "-o", str(tmp_path / "o.pdf")], "没有要遮盖的内容"),
        (["redact", "--check", src, "--basis", "nope"], "遮盖依据“nope”不存在"),
        (["redact", "--check", src, "--pattern", "passport"], "个人信息类别“passport”不存在"),
        (["redact", "--check", str(wrong)], "扩展名是“.docx”"),
        (["redact", "--check", str(tmp_path / "无.pdf")], "无法读取文件"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        assert message in capsys.readouterr().err


def test_an_unreadable_scan_exits_2(tmp_path, capsys):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 100), False)
    pix.clear_with(170)
    path = tmp_path / "照片.png"
    path.write_bytes(pix.tobytes("png"))
    assert main(["redact", "--check", str(path), "--pii"]) == 2
    assert "未能核验" in capsys.readouterr().err
