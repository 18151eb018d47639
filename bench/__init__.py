"""The benchmarks and the full-size reliability battery: scripts run as `python bench/NAME.py`
(see the Makefile), and a package so that the tests import what they share with them (`from bench
import synth, harness`) without touching sys.path."""
