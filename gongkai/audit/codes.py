"""The one central list of audited action codes (dotted, `<app>.<verb>`).

Every state change in Gongkai writes exactly one audit event whose `action` is one of
these codes. Add a code here when you add an action; the label is what staff read.
"""

ACTIONS: dict[str, str] = {
    # accounts
    "accounts.login": "登录成功",
    "accounts.login_failed": "登录失败",
    "accounts.logout": "退出登录",
    "accounts.lockout": "登录失败次数过多，账号暂时锁定",
    "accounts.otp_enrol": "启用双因素认证",
    "accounts.otp_verify": "通过双因素认证",
    # agencies
    "agencies.create": "新建机构",
    "agencies.update": "修改机构信息",
    "agencies.role_grant": "授予角色",
    "agencies.role_revoke": "撤销角色",
    # applications (依申请公开)
    "applications.register": "登记政府信息公开申请",
    "applications.request_correction": "告知申请人补正",
    "applications.record_correction": "登记收到补正申请",
    "applications.correction_expired": "登记逾期未补正（不再处理）",
    "applications.consult": "发出征求意见函",
    "applications.consultation_answer": "登记征求意见答复",
    "applications.extend": "批准延长答复期限",
    "applications.special_deadline": "另行确定答复期限（第三十五条）",
    "applications.fee_notice": "发出信息处理费收费通知",
    "applications.fee_notice_received": "登记申请人收到收费通知",
    "applications.fee_paid": "登记缴纳信息处理费",
    "applications.fee_expired": "登记逾期未缴费（不再处理）",
    "applications.decide": "作出答复",
    "applications.deliver": "登记送达",
    "applications.withdraw": "登记申请人撤回申请",
    "applications.change_applicant_kind": "更正申请人类型",
    "applications.note": "添加办理备注",
    "applications.recompute": "放假安排变化后重算答复期限",
    "applications.review_record": "登记行政复议",
    "applications.review_conclude": "登记行政复议结果",
    "applications.litigation_record": "登记行政诉讼",
    "applications.litigation_conclude": "登记行政诉讼结果",
    "applications.template_update": "修改文书模板",
    "applications.applicant_reveal": "查看申请人完整证件号码和联系方式",
    "applications.same_info_dismiss": "多人申请相同信息：不转为主动公开（第四十四条）",
    # interaction (互动交流)
    "interaction.message_register": "登记留言",
    "interaction.message_triage": "分办留言",
    "interaction.message_route": "转办留言",
    "interaction.message_mark_invalid": "认定为无效留言",
    "interaction.message_publish": "公开留言及答复",
    "interaction.message_unpublish": "撤回公开的留言",
    "interaction.message_convert": "留言转为政府信息公开申请（《条例》第三十九条）",
    "interaction.message_from_application": "政府信息公开申请转为留言办理（《条例》第三十九条）",
    "interaction.reply_draft": "起草留言答复",
    "interaction.reply_submit": "提交答复审批",
    "interaction.reply_approve": "审批通过答复",
    "interaction.reply_return": "退回答复修改",
    "interaction.department_create": "新建办理部门",
    "interaction.department_update": "修改办理部门",
    "interaction.settings_update": "修改留言办理时限设置",
    "interaction.tickets_import": "导入工单",
    "interaction.reminder_send": "发送留言办理提醒",
    "interaction.writer_reveal": "查看写信人完整联系方式",
    # annualreport (政府信息公开工作年度报告)
    "annualreport.start": "建立年度报告草稿",
    "annualreport.prose_update": "修改年度报告正文",
    "annualreport.figure_set": "填报年度报告第二部分数据",
    "annualreport.figure_delete": "删除年度报告第二部分数据",
    "annualreport.figures_import": "导入年度报告第二部分数据",
    "annualreport.previous_upload": "上传上年度报告文件",
    "annualreport.warning_explain": "说明年度报告警告的理由",
    "annualreport.sign": "签发年度报告",
    "annualreport.reopen": "更正已签发的年度报告",
    "annualreport.publish_prepare": "生成年度报告公开页面草稿",
    "annualreport.publish": "公开年度报告",
    "annualreport.reminder_send": "发送年度报告提醒",
    # calendars
    "calendars.year_load": "载入年度放假安排",
    "calendars.year_delete": "删除年度放假安排",
    # portal
    "portal.index_issue": "编发索引号",
    "portal.scan_confirm": "保密审查确认扫描命中可以公开",
    "portal.review_send_back": "保密审查退回修改",
    "portal.review_pass": "通过保密审查",
    "portal.schedule_cancel": "定时发布因未通过保密审查而取消",
    "portal.document_release": "附件随页面发布而公开",
    "portal.document_withdraw": "附件不再被已发布页面使用，撤回公开",
    "portal.publish_retry": "重试发布失败的静态发布任务",
    "portal.site_rebuild": "重建网站的全部静态页面",
    "portal.agency_site_create": "新建机关及其网站、用户组和审核流程",
    "portal.same_info_convert": "多人申请相同信息：转为主动公开草稿（第四十四条）",
    # audit
    "audit.export": "导出审计记录",
    "audit.purge": "清理超过保存期限的审计记录",
    # backup
    "core.backup_restore": "从备份恢复数据",
}


def label(code: str) -> str:
    return ACTIONS.get(code, code)
