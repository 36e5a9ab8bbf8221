"""Pure rules and dataclasses. Imports nothing from Qt, the store or the filesystem."""
