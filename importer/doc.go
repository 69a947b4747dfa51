// Package importer brings records into a node from files: seizures from
// CSV files in the layout documented in CSV.md beside this file, and cargo
// declarations from CSV files in the layout of the customs declaration
// files (see package declcsv).
//
// An import streams the file, so its memory does not grow with the file's
// size; it validates every row with the same rules as the API, stores good
// rows in batches, each one transaction that also records how far the
// import has come, and writes bad rows, as they were, to a rejects file
// with the reason. An import that is interrupted, even by a killed
// process, resumes after its last committed batch when it is run again,
// so that no record is lost or stored twice.
package importer
