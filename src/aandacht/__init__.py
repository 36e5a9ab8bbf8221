"""Aandacht: offline work tool for the gemeentelijke aandachtsfunctionaris mensenhandel."""

__version__ = "0.1.0"
