#include "elec/io/checkpoint_file.hpp"

#include <cmath>
#include <cstdint>

#include "elec/common/atomic_output.hpp"
#include "elec/data/hash.hpp"
#include "elec/io/hdf5.hpp"
#include "elec/version.hpp"

namespace elec::io {
namespace {

constexpr const char* kFormat = "elec_hpc checkpoint";

// The units as three arrays: names, where each result ends in `values`, and every result back to back.
struct FlatUnits {
  std::vector<std::string> names;
  std::vector<std::int64_t> ends;
  std::vector<double> values;
};

FlatUnits flatten(const std::map<std::string, std::vector<double>>& units) {
  FlatUnits f;
  for (const auto& [name, result] : units) {
    f.names.push_back(name);
    f.values.insert(f.values.end(), result.begin(), result.end());
    f.ends.push_back(static_cast<std::int64_t>(f.values.size()));
  }
  return f;
}

std::vector<double> history_values(const std::vector<model::PassRecord>& history) {
  std::vector<double> out;
  for (const auto& r : history)
    out.insert(out.end(), {static_cast<double>(r.pass), r.max_change, r.mean_change, r.seconds});
  return out;
}

void add_matrix(data::Fnv1a& hash, const Matrix& m) {
  const std::int64_t dims[2] = {m.rows(), m.cols()};
  hash.add(dims, sizeof dims).add(m.data(), static_cast<std::size_t>(m.size()) * sizeof(double));
}

void add_doubles(data::Fnv1a& hash, const std::vector<double>& v) {
  const std::uint64_t n = v.size();
  hash.add(&n, sizeof n).add(v.data(), v.size() * sizeof(double));
}

// Everything a resumed run uses, in a fixed order; the seconds of the history are kept out (they are only shown).
std::string checksum(const Checkpoint& c) {
  data::Fnv1a hash;
  hash.add(c.fingerprint);
  for (const auto& [name, result] : c.units) hash.add(name), add_doubles(hash, result);
  if (c.training) {
    const model::TrainingState& t = *c.training;
    const std::int64_t counts[3] = {t.epochs_done, t.passes_done, static_cast<std::int64_t>(t.per_member)};
    hash.add(t.scope).add(counts, sizeof counts);
    add_matrix(hash, t.estimate), add_matrix(hash, t.confidence);
    for (const auto& r : t.history)
      hash.add(&r.pass, sizeof r.pass)
          .add(&r.max_change, sizeof r.max_change)
          .add(&r.mean_change, sizeof r.mean_change);
    add_doubles(hash, t.members);
  }
  return hash.hex();
}

void write_training(Group group, const model::TrainingState& t) {
  group.set_attribute("scope", t.scope);
  group.set_attribute("epochs_done", static_cast<std::int64_t>(t.epochs_done));
  group.set_attribute("passes_done", static_cast<std::int64_t>(t.passes_done));
  group.write("estimate", t.estimate);
  group.write("confidence", t.confidence);
  group.write("history", history_values(t.history), {t.history.size(), 4});
  const std::size_t members = t.per_member ? t.members.size() / t.per_member : 0;
  group.write("members", t.members, {members, t.per_member});
}

void write_file(const std::string& path, const Checkpoint& c) {
  File file = File::create(path);
  {
    file.set_attribute("format", kFormat);
    file.set_attribute("format_version", static_cast<std::int64_t>(kCheckpointFormatVersion));
    file.set_attribute("program_version", kVersion);
    file.set_attribute("fingerprint", c.fingerprint);
    file.set_attribute("checksum", checksum(c));
    const FlatUnits f = flatten(c.units);
    Group units = file.create_group("units");
    units.write("names", f.names);
    units.write("ends", f.ends, {f.ends.size()});
    units.write("values", f.values, {f.values.size()});
    if (c.training) write_training(file.create_group("training"), *c.training);
  }
  file.close();
}

// The problems of one file, each named "file: ...".
struct Checks {
  std::string path;
  data::Diagnostics& diag;
  void problem(const std::string& message) { diag.add({path, 0, 0}, message); }
};

bool check_header(const File& file, const std::string& expected_fingerprint, Checks& checks) {
  if (!file.has_attribute("format") || file.string_attribute("format") != kFormat) {
    checks.problem("not an elec_hpc checkpoint; expected a file written by elec_hpc train or cv with --checkpoint");
    return false;
  }
  const std::int64_t version = file.int_attribute("format_version");
  if (version != kCheckpointFormatVersion) {
    checks.problem("checkpoint format version " + std::to_string(version) + "; expected " +
                   std::to_string(kCheckpointFormatVersion) +
                   " (written by another elec_hpc version: start afresh "
                   "without --resume)");
    return false;
  }
  if (file.string_attribute("fingerprint") != expected_fingerprint) {
    checks.problem("the checkpoint belongs to another run (study fingerprint " + file.string_attribute("fingerprint") +
                   ", this run's is " + expected_fingerprint +
                   "); expected the checkpoint of this same command, data, "
                   "schema, config and seed, or another --checkpoint");
    return false;
  }
  return true;
}

std::map<std::string, std::vector<double>> read_units(const Group& group, Checks& checks) {
  const std::vector<std::string> names = group.read_strings("names");
  const Array<std::int64_t> ends = group.read_int64("ends");
  const Array<double> values = group.read_doubles("values");
  std::map<std::string, std::vector<double>> units;
  if (ends.data.size() != names.size()) {
    checks.problem("/units: " + std::to_string(names.size()) + " names but " + std::to_string(ends.data.size()) +
                   " ends");
    return units;
  }
  std::int64_t begin = 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const std::int64_t end = ends.data[k];
    if (end < begin || end > static_cast<std::int64_t>(values.data.size())) {
      checks.problem("/units/ends: entry " + std::to_string(k) + " is out of order or past the values");
      return {};
    }
    units[names[k]].assign(values.data.begin() + begin, values.data.begin() + end);
    begin = end;
  }
  return units;
}

model::TrainingState read_training(const Group& group, Checks& checks) {
  model::TrainingState t;
  t.scope = group.string_attribute("scope");
  t.epochs_done = static_cast<int>(group.int_attribute("epochs_done"));
  t.passes_done = static_cast<int>(group.int_attribute("passes_done"));
  t.estimate = group.read_matrix("estimate");
  t.confidence = group.read_matrix("confidence");
  const Array<double> history = group.read_doubles("history");
  const Array<double> members = group.read_doubles("members");
  if (history.dims.size() != 2 || history.dims[1] != 4 || members.dims.size() != 2 ||
      t.estimate.rows() != t.confidence.rows() || t.estimate.cols() != t.confidence.cols() || t.epochs_done < 0 ||
      t.passes_done < 0) {
    checks.problem("/training: inconsistent shapes or counts; expected what elec_hpc writes");
    return t;
  }
  for (std::size_t k = 0; k < history.data.size(); k += 4)
    t.history.push_back(
        {static_cast<int>(history.data[k]), history.data[k + 1], history.data[k + 2], history.data[k + 3]});
  t.per_member = static_cast<std::size_t>(members.dims[1]);
  t.members = members.data;
  return t;
}

}  // namespace

void write_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  common::write_atomically({{path, [&](const std::string& temp) { write_file(temp, checkpoint); }}});
}

std::optional<Checkpoint> read_checkpoint(const std::string& path, const std::string& expected_fingerprint,
                                          data::Diagnostics& diag) {
  data::Diagnostics found;
  Checks checks{path, found};
  Checkpoint c;
  try {
    const File file = File::open_read(path);
    if (!check_header(file, expected_fingerprint, checks)) {
      diag.append(found);
      return std::nullopt;
    }
    c.fingerprint = expected_fingerprint;
    c.units = read_units(file.open_group("units"), checks);
    if (file.contains("training")) c.training = read_training(file.open_group("training"), checks);
    const std::string recorded = file.string_attribute("checksum"), computed = found.empty() ? checksum(c) : recorded;
    if (computed != recorded)
      checks.problem("checksum " + computed + " of the contents differs from the recorded " + recorded +
                     "; the checkpoint is damaged: start afresh without --resume");
  } catch (const H5Error& e) {
    checks.problem((e.object().empty() ? "" : e.object() + ": ") + std::string(e.what()) +
                   "; not a usable elec_hpc checkpoint");
  }
  diag.append(found);
  if (!found.empty()) return std::nullopt;
  return c;
}

}  // namespace elec::io
