"""Getting everything out of Porch and back in: JSON export and restore, WXR for WordPress."""
