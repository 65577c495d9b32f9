/* json_val.h - JSON read by jansson as the Mustache engine's data
   (src/util/val.h), for the tests that take their data as JSON text: the
   Mustache spec (test_mustache.c) and the template fuzz target. Strings and
   keys are borrowed from the json_t, which must outlive the values. */
#ifndef PR_TEST_JSON_VAL_H
#define PR_TEST_JSON_VAL_H
#include <jansson.h>
#include <string.h>
#include "util/util.h"

/* j as a value in a; when memory runs out, a->failed is set. */
static pr_val json_val(pr_val_arena *a, const json_t *j) {
  switch (j ? json_typeof(j) : JSON_NULL) {
  case JSON_OBJECT: {
    pr_val o = pr_val_object();
    pr_val_reserve(a, &o, json_object_size(j));
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j, k, v) pr_val_add(a, &o, k, strlen(k), json_val(a, v));
    return o;
  }
  case JSON_ARRAY: {
    pr_val arr = pr_val_array();
    pr_val_reserve(a, &arr, json_array_size(j));
    for (size_t i = 0; i < json_array_size(j); i++)
      pr_val_push(a, &arr, json_val(a, json_array_get(j, i)));
    return arr;
  }
  case JSON_STRING: return pr_val_strn(json_string_value(j), json_string_length(j));
  case JSON_INTEGER: return pr_val_int((long long)json_integer_value(j));
  case JSON_REAL: return pr_val_real(json_real_value(j));
  case JSON_TRUE: return pr_val_bool(1);
  case JSON_FALSE: return pr_val_bool(0);
  default: return pr_val_null();
  }
}

#endif
