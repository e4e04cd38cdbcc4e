"""Navigation and gesture logic as plain Python (no Qt), tested with plain asserts."""
