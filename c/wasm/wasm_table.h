/* wasm_table.h: the layout of a table C fills and JS reads, written once.
 *
 * A table is a list X(name, value) of its fields: the same list expands
 * into the field count (the row stride), the names JS reads once
 * ("name1,name2,..." from an hl_*_fields() export) and the row C writes,
 * so the order of what C writes and of what JS reads cannot drift apart.
 */
#ifndef HEAPLAB_WASM_TABLE_H
#define HEAPLAB_WASM_TABLE_H

#define TABLE_COUNT(name, value) +1
#define TABLE_NAME(name, value) #name ","
#define TABLE_VALUE(name, value) (value),

#endif
