"""The database: the declarative base and column types, the models, the migrations."""
