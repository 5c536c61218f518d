"""What pages show, computed at build time as typed objects for the templates."""
