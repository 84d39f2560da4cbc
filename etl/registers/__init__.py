"""Registers: sheets of rows with named columns, checks, a key, add-or-update, history and rollback.

Each kind (targets, incidents, meetings, explanations, actions and their notes) is a declaration
(etl.registers.spec.Register) in a module of its own; etl.registers.pipeline reads and checks every
kind the same way, and etl.registers.store holds what their stores share. Their files come in
through etl.intake, as returns do: each module gives the intake a reader and a store.
"""
