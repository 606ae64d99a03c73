-- Issue 12: tokens a signed-in person created before tokens had owners become theirs
-- (acting as them, never above their current role); the rest stay service tokens.
UPDATE "api_tokens" SET "kind" = 'user', "owner_user_id" = "created_by_user_id" WHERE "created_by_user_id" IS NOT NULL;
