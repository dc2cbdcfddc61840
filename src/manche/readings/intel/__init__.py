"""The intelligence reading: boats and engines, links, grading, sharing, quality."""
