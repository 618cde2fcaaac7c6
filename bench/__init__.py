"""Scale data generator and benchmarks: see docs/performance.md."""
