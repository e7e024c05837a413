"""The pure core: the clock, the closed lists, the message catalogue, configuration and
identity sealing. Imports nothing else of the project."""
