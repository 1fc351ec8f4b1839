#include "hdf5_snapshot.hpp"

#include <map>

#include "elec/io/hdf5.hpp"
#include "fuzz_support.hpp"

namespace elec::fuzz {
namespace {

// Listing uses the raw C API (io::Group has no iteration); the values themselves are read through io::Group.
// H5Gget_info / H5Lget_name_by_idx / H5Aiterate2 have the same signature in HDF5 1.10, 1.12 and 1.14.
std::vector<std::string> link_names(hid_t group) {
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) fail_setup("H5Gget_info failed");
  std::vector<std::string> names;
  for (hsize_t k = 0; k < info.nlinks; ++k) {
    const ssize_t length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, nullptr, 0, H5P_DEFAULT);
    if (length < 0) fail_setup("H5Lget_name_by_idx failed");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, k, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<std::size_t>(length));
    names.push_back(name);
  }
  return names;
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* names) {
  static_cast<std::vector<std::string>*>(names)->push_back(name);
  return 0;
}

std::vector<std::string> attribute_names(hid_t object) {
  std::vector<std::string> names;
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_attribute_name, &names) < 0)
    fail_setup("H5Aiterate2 failed");
  return names;
}

StoredType stored_type(hid_t type, const std::string& what) {
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return H5Tget_size(type) == 4 ? StoredType::Float32 : StoredType::Float64;
    case H5T_INTEGER:
      return H5Tget_size(type) == 1 && H5Tget_sign(type) == H5T_SGN_NONE ? StoredType::UInt8 : StoredType::Int64;
    case H5T_STRING:
      return StoredType::Text;
    default:
      fail_setup(what + ": a type the project does not write");
  }
}

StoredObject read_dataset(const io::Group& group, const std::string& name) {
  StoredObject o;
  o.group = group.path(), o.name = name;
  const io::Handle dataset(H5Dopen2(group.id(), name.c_str(), H5P_DEFAULT));
  const io::Handle type(H5Dget_type(dataset.get()));
  o.type = stored_type(type.get(), group.path() + "/" + name);
  switch (o.type) {
    case StoredType::Float64: {
      auto a = group.read_doubles(name);
      o.reals = std::move(a.data), o.dims = a.dims;
      break;
    }
    case StoredType::Float32: {
      auto a = group.read_floats(name);
      o.reals.assign(a.data.begin(), a.data.end()), o.dims = a.dims;
      break;
    }
    case StoredType::Int64: {
      auto a = group.read_int64(name);
      o.integers = std::move(a.data), o.dims = a.dims;
      break;
    }
    case StoredType::UInt8: {
      auto a = group.read_uint8(name);
      o.integers.assign(a.data.begin(), a.data.end()), o.dims = a.dims;
      break;
    }
    case StoredType::Text:
      o.texts = group.read_strings(name);
      o.dims = {o.texts.size()};
      break;
  }
  return o;
}

StoredObject read_attribute(const io::Group& group, const std::string& name) {
  StoredObject o;
  o.group = group.path(), o.name = name, o.attribute = true;
  o.dims = {1};
  const io::Handle attribute(H5Aopen(group.id(), name.c_str(), H5P_DEFAULT));
  const io::Handle type(H5Aget_type(attribute.get()));
  switch (stored_type(type.get(), group.path() + "@" + name)) {
    case StoredType::Float64:
    case StoredType::Float32:
      o.type = StoredType::Float64, o.reals = {group.double_attribute(name)};
      break;
    case StoredType::Int64:
    case StoredType::UInt8:
      o.type = StoredType::Int64, o.integers = {group.int_attribute(name)};
      break;
    case StoredType::Text:
      o.type = StoredType::Text, o.texts = {group.string_attribute(name)};
      break;
  }
  return o;
}

void read_group(const io::Group& group, Snapshot& snapshot) {
  snapshot.groups.push_back(group.path());
  for (const auto& name : attribute_names(group.id())) snapshot.objects.push_back(read_attribute(group, name));
  std::vector<std::string> subgroups;
  for (const auto& name : link_names(group.id())) {
    const io::Handle object(H5Oopen(group.id(), name.c_str(), H5P_DEFAULT));
    const H5I_type_t kind = H5Iget_type(object.get());
    if (kind == H5I_GROUP)
      subgroups.push_back(name);
    else if (kind == H5I_DATASET)
      snapshot.objects.push_back(read_dataset(group, name));
    else
      fail_setup(group.path() + "/" + name + ": neither a group nor a dataset");
  }
  for (const auto& name : subgroups) read_group(group.open_group(name), snapshot);
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

void write_object(io::Group& group, const StoredObject& o) {
  if (o.attribute) {
    switch (o.type) {
      case StoredType::Float64:
      case StoredType::Float32:
        group.set_attribute(o.name, o.reals.at(0));
        break;
      case StoredType::Int64:
      case StoredType::UInt8:
        group.set_attribute(o.name, o.integers.at(0));
        break;
      case StoredType::Text:
        group.set_attribute(o.name, o.texts.at(0));
        break;
    }
    return;
  }
  switch (o.type) {
    case StoredType::Float64:
      group.write(o.name, o.reals, o.dims);
      break;
    case StoredType::Float32:
      group.write(o.name, std::vector<float>(o.reals.begin(), o.reals.end()), o.dims);
      break;
    case StoredType::Int64:
      group.write(o.name, o.integers, o.dims);
      break;
    case StoredType::UInt8:
      group.write(o.name, std::vector<std::uint8_t>(o.integers.begin(), o.integers.end()), o.dims);
      break;
    case StoredType::Text:
      group.write(o.name, o.texts);
      break;
  }
}

}  // namespace

std::size_t StoredObject::count() const {
  switch (type) {
    case StoredType::Float64:
    case StoredType::Float32:
      return reals.size();
    case StoredType::Int64:
    case StoredType::UInt8:
      return integers.size();
    case StoredType::Text:
      return texts.size();
  }
  return 0;
}

Snapshot read_snapshot(const std::string& path) {
  Snapshot snapshot;
  read_group(io::File::open_read(path), snapshot);
  return snapshot;
}

void write_snapshot(const Snapshot& snapshot, const std::string& path) {
  io::File file = io::File::create(path);
  std::map<std::string, io::Group> groups;
  const auto group_at = [&](const std::string& name) -> io::Group& { return name == "/" ? file : groups.at(name); };
  for (const auto& group : snapshot.groups)
    if (group != "/")
      groups.emplace(group, group_at(parent_of(group)).create_group(group.substr(group.rfind('/') + 1)));
  for (const auto& o : snapshot.objects) write_object(group_at(o.group), o);
}

}  // namespace elec::fuzz
