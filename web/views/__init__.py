"""The blueprints of the web UI, one module each."""
