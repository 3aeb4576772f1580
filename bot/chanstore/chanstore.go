// Package chanstore is the durable state the channel adapters keep beside
// the conversations: Telegram's callback keys and long-polling offsets, and
// Zalo OA's followers (reply window and free-reply quota) and token pair.
// It holds only the SQL; the rules (how a key is derived, when a quota is
// used up, when to refresh a token) stay in bot/telegram and bot/zalooa.
// Each adapter's tables keep their own migration namespace ("telegram",
// "zalooa"), so databases created before this package apply nothing again.
package chanstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"github.com/hoiphuong/hoiphuong/knowledge/sqldb"
)

//go:embed migrations/telegram/*.sql migrations/zalooa/*.sql
var migrations embed.FS

// migrate applies the migrations under migrations/namespace.
func migrate(ctx context.Context, db *sql.DB, namespace string) error {
	if err := sqldb.MigrateDir(ctx, db, migrations, "migrations/"+namespace, namespace); err != nil {
		return fmt.Errorf("chanstore: %w", err)
	}
	return nil
}
