"""The admin login form, with every label in Chinese."""

from wagtail.admin.forms.auth import LoginForm


class ChineseLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"
        self.fields["username"].label = "用户名"
