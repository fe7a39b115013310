"""Chengguan (城管): digital urban management and comprehensive law enforcement."""

__version__ = "0.1.0"
