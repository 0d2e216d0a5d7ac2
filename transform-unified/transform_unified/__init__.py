"""Singer mapper turning ad platforms' streams into one cross-platform schema."""
