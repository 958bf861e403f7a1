-- Sign-out reasons (issue 10 item 4): Session."revokedReason" holds one of the codes of lib/auth/sign-out-reasons.ts.
-- Rows written before that list existed used other spellings: renamed here, so the sign-in page can say why those
-- sessions ended too. Data only; the column stays text.
UPDATE "Session" SET "revokedReason" = CASE "revokedReason"
    WHEN 'signed-out' THEN 'signed_out'
    WHEN 'signed-out-by-user' THEN 'signed_out_elsewhere'
    WHEN 'idle-timeout' THEN 'idle_timeout'
    WHEN 'two-factor-reset-by-admin' THEN 'two_factor_reset_by_admin'
    WHEN 'organization-requires-2fa' THEN 'organization_requires_2fa'
    WHEN 'two-factor-deadline-passed' THEN 'two_factor_deadline_passed'
    WHEN 'two-factor-changed' THEN 'two_factor_changed'
  END
WHERE "revokedReason" IN ('signed-out', 'signed-out-by-user', 'idle-timeout', 'two-factor-reset-by-admin',
  'organization-requires-2fa', 'two-factor-deadline-passed', 'two-factor-changed');
