"""The rules of ``kerasnotes migrate``, one module per rule family."""
