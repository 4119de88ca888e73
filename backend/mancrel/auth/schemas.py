from typing import Literal

from pydantic import BaseModel, Field

from mancrel.core.types import Text


class LoginRequest(BaseModel):
    email: Text = Field(max_length=320)
    password: Text = Field(max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: Text = Field(max_length=200)


class LogoutRequest(BaseModel):
    refresh_token: Text | None = Field(default=None, max_length=200)


class PasswordChange(BaseModel):
    current_password: Text = Field(max_length=256)
    new_password: Text = Field(min_length=10, max_length=256, description="At least 10 characters, not a common one.")


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
