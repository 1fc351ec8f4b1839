#pragma once
// An HDF5 file held in memory as plain values (every group, dataset and scalar attribute), so that a harness can
// change any of them and write the file again with the project's own writer (io::File / io::Group). Covers what
// the project writes: datasets of double, float, int64, uint8 and variable-length strings, and scalar string,
// int64 and double attributes.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace elec::fuzz {

enum class StoredType { Float64, Float32, Int64, UInt8, Text };

struct StoredObject {
  std::string group;  // "/" or "/schema", ...
  std::string name;
  bool attribute = false;  // a scalar attribute of `group`; otherwise a dataset in it
  StoredType type = StoredType::Float64;
  std::vector<hsize_t> dims;           // datasets: row-major shape; attributes: {1}
  std::vector<double> reals;           // Float64, Float32
  std::vector<std::int64_t> integers;  // Int64, UInt8
  std::vector<std::string> texts;      // Text

  std::size_t count() const;  // elements held in the vector of `type`
};

struct Snapshot {
  std::vector<std::string> groups;  // every group, each after its parent; "/" first
  std::vector<StoredObject> objects;
};

// Reads every group, dataset and attribute; an object of a type the project never writes is a setup failure.
Snapshot read_snapshot(const std::string& path);

// Writes a new file (truncating) through io::File / io::Group. Data and dims must agree (the writer checks).
void write_snapshot(const Snapshot& snapshot, const std::string& path);

}  // namespace elec::fuzz
