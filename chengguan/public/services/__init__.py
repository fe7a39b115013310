"""Every state change of the public app; one module per area."""
