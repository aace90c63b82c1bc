"""Accounts: editors, passwords, sessions and the rate limits of logins and reports."""
