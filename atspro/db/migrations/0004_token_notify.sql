-- API processes cache tokens the database has confirmed. Any change to a token row
-- (revocation, deletion, a new expiry) tells them at once, whoever made it: the CLI,
-- another process or a hand-written SQL statement.
CREATE FUNCTION atspro_notify_token_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('atspro_api_tokens', '*');
    ELSE
        PERFORM pg_notify('atspro_api_tokens', OLD.token_hash);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER api_tokens_changed
AFTER UPDATE OR DELETE ON api_tokens
FOR EACH ROW EXECUTE FUNCTION atspro_notify_token_change();

CREATE TRIGGER api_tokens_truncated
AFTER TRUNCATE ON api_tokens
FOR EACH STATEMENT EXECUTE FUNCTION atspro_notify_token_change();
