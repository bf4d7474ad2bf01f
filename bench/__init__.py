"""The performance benchmark: refresh and page timings at several scales against a pandas baseline."""
