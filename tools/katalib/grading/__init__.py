"""Pristine grading of submissions one did not build by hand (kata.py grade
--submission / --batch, kata.py scoreboard). Small modules, one idea each:

  pristine    the kata at a git ref, exported with git archive
  submission  fetch a folder or git URL; take only its edit files, list the rest as ignored
  sandbox     bubblewrap + setpriv + prlimit around every untrusted command
  base        the shared pristine build, copied for each submission
  runner      one submission: overlay, build, per-exercise sandboxed tests
  evaluate    statuses from the build log and test results (katalib.status rules)
  reports     results.json (Gradescope), junit.xml, grade.md
  single      one submission end to end (Grader keeps the base for a batch)
  batch       a class, one submission after another
  scoreboard  scoreboard.md / .csv / .json from results.json files
  cli         the kata.py subcommands
"""
