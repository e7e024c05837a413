"""Staff accounts: passwords, login and logout."""
