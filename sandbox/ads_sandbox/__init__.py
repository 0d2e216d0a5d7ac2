"""Local emulator of ad platform APIs backed by a deterministic synthetic world."""
