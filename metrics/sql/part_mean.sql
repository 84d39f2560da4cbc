    -- part 1 for one weighted metric (parameter {mean}): each score weighs its stored weight
    -- (fact_result.weight, set when the return was written: the positive firms figures of the same
    -- return row, else 1; see warehouse/weights.py).
    SELECT {select}, 1 AS part, {aggregates}
    FROM scoped
    WHERE metric_code = {mean}
    GROUP BY {group_by}
