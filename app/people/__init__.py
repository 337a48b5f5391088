"""People: the directory (users, departments, API tokens), who holds which role, passwords
(argon2id) and ID card numbers (encrypted at rest, masked in text). No Flask: the engine,
the CLI, the demo data and the designer all read people through here.
"""
