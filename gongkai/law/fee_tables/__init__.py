"""Fee tables (YAML) for 信息处理费; see gongkai/law/fees.py."""
