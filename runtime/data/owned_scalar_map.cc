#include "runtime/data/owned_scalar_map.h"

namespace sluice::data {
namespace {

OwnedScalar FromView(const ScalarEntry& e) {
  OwnedScalar o;
  o.key = std::string(e.key);
  o.kind = e.kind;
  o.i = e.i;
  o.f = e.f;
  o.b = e.b;
  o.str = std::string(e.str);
  return o;
}

}  // namespace

OwnedScalar OwnedScalar::Int(std::string key, int64_t v) {
  OwnedScalar o;
  o.key = std::move(key);
  o.kind = ScalarKind::kInt;
  o.i = v;
  return o;
}

OwnedScalar OwnedScalar::Float(std::string key, double v) {
  OwnedScalar o;
  o.key = std::move(key);
  o.kind = ScalarKind::kFloat;
  o.f = v;
  return o;
}

OwnedScalar OwnedScalar::Boolean(std::string key, bool v) {
  OwnedScalar o;
  o.key = std::move(key);
  o.kind = ScalarKind::kBoolean;
  o.b = v;
  return o;
}

OwnedScalar OwnedScalar::String(std::string key, std::string v) {
  OwnedScalar o;
  o.key = std::move(key);
  o.kind = ScalarKind::kString;
  o.str = std::move(v);
  return o;
}

OwnedScalar OwnedScalar::Null(std::string key) {
  OwnedScalar o;
  o.key = std::move(key);
  return o;
}

bool OwnedScalar::SameValue(const OwnedScalar& other) const {
  if (kind != other.kind) return false;
  switch (kind) {
    case ScalarKind::kNull:
      return true;
    case ScalarKind::kInt:
      return i == other.i;
    case ScalarKind::kFloat:
      return f == other.f;
    case ScalarKind::kBoolean:
      return b == other.b;
    case ScalarKind::kString:
      return str == other.str;
  }
  return false;
}

OwnedScalarMap OwnedScalarMap::CopyOf(ScalarMap view) {
  OwnedScalarMap m;
  m.entries_.reserve(view.size());
  for (const ScalarEntry& e : view) m.entries_.push_back(FromView(e));
  return m;
}

const OwnedScalar* OwnedScalarMap::Find(std::string_view key) const {
  for (const OwnedScalar& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

bool OwnedScalarMap::Equals(const OwnedScalarMap& other) const {
  if (entries_.size() != other.entries_.size()) return false;
  for (const OwnedScalar& e : entries_) {
    const OwnedScalar* o = other.Find(e.key);
    if (o == nullptr || !e.SameValue(*o)) return false;
  }
  return true;
}

bool OwnedScalarMap::Equals(ScalarMap view) const {
  if (entries_.size() != view.size()) return false;
  for (const ScalarEntry& v : view) {
    const OwnedScalar* o = Find(v.key);
    if (o == nullptr || !o->SameValue(FromView(v))) return false;
  }
  return true;
}

}  // namespace sluice::data
