"""Load the pipeline's pytest plugin: every Python block under docs/ becomes a test."""

pytest_plugins = ["pipeline.pytest_plugin"]
