"""The demo database: clearly fictitious clients, users, teams, ratings and plans.

Not a use case of the program: it writes through the services and the models to fill a
database for trying the program out (``hemlos-desktop --demo``, ``hemlos-desktop demo-data``),
for screenshots and for benchmarks. :mod:`.data` makes the database; each feature adds its
records with a module listed in ``data.DEMO_EXTENSIONS``.
"""
