"""Small widgets shared by the feature packages."""
