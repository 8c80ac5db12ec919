"""One module per kata.py command (`add_parser(sub)` and `run(args, style)`);
kata.py only parses and dispatches. Commands older than this folder still
live in kata.py."""
