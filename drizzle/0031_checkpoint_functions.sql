-- The checkpoint's two statements that were still planned at every call, and the audit append, as
-- plpgsql functions whose plans each connection makes once (as 0030 did for the claim's pick). On the
-- dispatch bench they cost 0.15 ms (the fenced row lock with the turn row) and 0.16 ms (a finishing
-- run's open decisions) of planning a turn, against 0.07 and 0.01 ms to run; the append, a SQL-language
-- function, was planned at every call too. The statements are unchanged.

-- Rows exactly as lib/audit/append.ts builds them (MAC and nonce computed by the writer), in order.
CREATE OR REPLACE FUNCTION flightdeck_append_audit(p_events jsonb) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
  INSERT INTO audit_events (ts, actor_kind, actor_id, actor_label, action, subject_type, subject_id, "authorization", payload, nonce, mac)
  SELECT (e->>'ts')::timestamptz, e->>'actorKind', e->>'actorId', e->>'actorLabel', e->>'action', e->>'subjectType',
    e->>'subjectId', e->'authorization', e->'payload', e->>'nonce', e->>'mac'
  FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(e, n)
  ORDER BY n;
END;
$$;--> statement-breakpoint

-- The checkpoint's first statement (lib/runtime/checkpoint.ts, lockForCheckpoint): the run's row locked
-- only while this worker's lease holds (no row: the lease was lost and nothing is written), the database
-- clock, and for a completed turn its row finished with what the executor returned. Answers the stored
-- messages of that turn, which the next turn's history cache appends.
CREATE OR REPLACE FUNCTION flightdeck_lock_checkpoint(
  p_run_id text,
  p_lease_token text,
  p_turn_id text,
  p_completed boolean,
  p_cost double precision,
  p_model text,
  p_messages_in jsonb,
  p_messages_out jsonb,
  p_tool_calls jsonb,
  p_input_tokens integer,
  p_output_tokens integer,
  p_model_ms integer
) RETURNS TABLE (now_ms double precision, messages_in jsonb, messages_out jsonb, run runs)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
  v_run runs;
  v_in jsonb;
  v_out jsonb;
BEGIN
  SELECT x.* INTO v_run FROM runs x WHERE x.id = p_run_id AND x.lease_token = p_lease_token FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF p_completed THEN
    UPDATE turns t SET status = 'completed', cost = p_cost, model = p_model, messages_in = p_messages_in,
      messages_out = p_messages_out, tool_calls = p_tool_calls, input_tokens = p_input_tokens,
      output_tokens = p_output_tokens, model_ms = p_model_ms, finished_at = clock_timestamp()
    WHERE t.id = p_turn_id
    RETURNING t.messages_in, t.messages_out INTO v_in, v_out;
  END IF;
  now_ms := extract(epoch from now()) * 1000;
  messages_in := v_in;
  messages_out := v_out;
  run := v_run;
  RETURN NEXT;
END;
$$;--> statement-breakpoint

-- A finishing run's open decisions (lib/runtime/run-decisions.ts): its pending approvals and its live
-- approval flashcards are withdrawn; answers one withdrawn card (for the live feed) and whether the run
-- holds shared-memory locks, which the caller releases after the run's UPDATE.
CREATE OR REPLACE FUNCTION flightdeck_withdraw_run_decisions(p_run_id text, p_why text, p_live_states text[])
RETURNS TABLE (card text, locked boolean)
LANGUAGE plpgsql VOLATILE
AS $$
#variable_conflict use_column
DECLARE
  v_card text;
BEGIN
  UPDATE approvals a SET status = 'withdrawn', decided_at = now(), note = p_why
  WHERE a.run_id = p_run_id AND a.status = 'pending';
  WITH withdrawn AS (
    UPDATE flashcards f
    SET state = 'withdrawn', decided_at = now(), decision_reason = p_why, snoozed_until = NULL, updated_at = now()
    WHERE f.run_id = p_run_id AND f.kind = 'approval' AND f.state = ANY (p_live_states)
    RETURNING f.id
  )
  SELECT w.id INTO v_card FROM withdrawn w LIMIT 1;
  card := v_card;
  locked := EXISTS (SELECT 1 FROM memory_locks m WHERE m.run_id = p_run_id);
  RETURN NEXT;
END;
$$;
