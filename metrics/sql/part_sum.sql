    -- part 0: every figure in scope, summed as stored
    SELECT {select}, 0 AS part, {aggregates}
    FROM scoped
    WHERE {metric_where}
    GROUP BY {group_by}
