"""The directive parser: pure functions from a document's text to its metadata and the tasks it assigns."""
