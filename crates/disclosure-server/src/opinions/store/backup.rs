//! Backups of a SQLite store while it runs, and their restoration into a fresh folder.
//! (PostgreSQL's are pg_dump's and pg_restore's; the README gives the commands.)

use sqlx::any::AnyPoolOptions;
use sqlx::Row;

use super::{Backend, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the SQLite database to `to` while opinions keep
    /// arriving (`VACUUM INTO` reads one snapshot; a file copy of a live WAL database is
    /// not consistent), checks the copy, and returns how many opinions it holds.
    pub async fn backup_sqlite(&self, to: &std::path::Path) -> Result<i64, StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::NotSqlite);
        }
        if to.exists() {
            return Err(StoreError::Exists(to.to_path_buf()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(to.display().to_string())
            .execute(&self.pool)
            .await?;
        check_sqlite_copy(to).await
    }

    /// Puts a backup made by [`Store::backup_sqlite`] in place as `data/opinions.db`,
    /// after checking it; refuses when `data` holds a database already. Returns how many
    /// opinions it holds.
    pub async fn restore_sqlite(
        from: &std::path::Path,
        data: &std::path::Path,
    ) -> Result<i64, StoreError> {
        let target = data.join("opinions.db");
        if target.exists() {
            return Err(StoreError::Exists(target));
        }
        let opinions = check_sqlite_copy(from).await?;
        std::fs::create_dir_all(data).map_err(|e| StoreError::Io(data.to_path_buf(), e))?;
        let partial = data.join("opinions.db.restoring");
        std::fs::copy(from, &partial).map_err(|e| StoreError::Io(partial.clone(), e))?;
        std::fs::File::open(&partial)
            .and_then(|file| file.sync_all())
            .map_err(|e| StoreError::Io(partial.clone(), e))?;
        std::fs::rename(&partial, &target).map_err(|e| StoreError::Io(target.clone(), e))?;
        Ok(opinions)
    }
}

/// Opens a SQLite copy read-only, runs SQLite's integrity check, and counts its opinions.
async fn check_sqlite_copy(file: &std::path::Path) -> Result<i64, StoreError> {
    let damaged = |why: String| StoreError::Damaged(file.to_path_buf(), why);
    if !file.is_file() {
        return Err(StoreError::Io(
            file.to_path_buf(),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ));
    }
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&format!("sqlite://{}?mode=ro", file.display()))
        .await
        .map_err(|e| damaged(e.to_string()))?;
    let verdict: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if verdict != "ok" {
        return Err(damaged(verdict));
    }
    let opinions: i64 = sqlx::query("SELECT COUNT(*) AS n FROM opinions")
        .fetch_one(&pool)
        .await
        .and_then(|row| row.try_get("n"))
        .map_err(|e| damaged(e.to_string()))?;
    pool.close().await;
    Ok(opinions)
}
