"""The Clients area: list, registration form and case file."""
