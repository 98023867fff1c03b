-- 0009_password_resets: undo.
DROP TABLE password_resets;
