"""The data files: their typed models, reading them and checking them."""
