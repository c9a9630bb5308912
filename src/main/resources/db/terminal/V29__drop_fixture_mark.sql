-- The scale-data mark of V7 goes: the benchmarks make their large store themselves and never register it, and the
-- terminal no longer makes one, so nothing writes or reads the mark (decision 0075).
DROP TABLE fixture_mark;
