// Replaced by the EventLog work (issue 2): appends in a loop and prints each acknowledged position.
