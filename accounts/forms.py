from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """A refused login is one error for the whole form (which of name or password was wrong
    is not told): both fields are marked invalid and described by it, as a field's own
    error would be."""

    error_id = "login-error"

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": self.error_id}
                )
