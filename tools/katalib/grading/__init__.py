"""Pristine grading of submissions one did not build by hand (kata.py grade
--submission / --batch, kata.py scoreboard). Small modules, one idea each:

  pristine    the kata at a git ref, exported with git archive
  gitread     a student's git history read without running any of it
  submission  fetch a folder or git URL; take only its edit files, list the rest as ignored
  slug        a student's name as one safe folder name
  sandbox     bubblewrap + setpriv + prlimit around every untrusted command
  base        the shared pristine build, copied for each submission
  runner      one submission: overlay, build, each pristine test in its own sandbox
  hidden      hidden checks: probes on generated inputs, the submission vs the reference
  evaluate    statuses from the build log, test results and hidden checks
  flags       suspicious constructs in an edit file, for the instructor
  similarity  winnowing fingerprints: against the reference and between students
  reports     results.json (Gradescope), junit.xml, grade.md
  single      one submission end to end (Grader keeps the base for a batch)
  batch       a class, one submission after another
  scoreboard  scoreboard.md / .csv / .json from results.json files
  cli         the kata.py subcommands
"""
