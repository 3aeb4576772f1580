package search

import (
	"context"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// tasks collects enqueued tasks so that they can all be waited for at once.
type tasks struct {
	uids []int64
	what []string
}

// add records an enqueued task, or returns the enqueue error.
func (ts *tasks) add(what string, info *meilisearch.TaskInfo, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, clean(err))
	}
	ts.uids = append(ts.uids, info.TaskUID)
	ts.what = append(ts.what, what)
	return nil
}

// wait waits for every task in order and fails on the first one that did
// not succeed. Meilisearch runs tasks in order, so by the time the first
// has finished the others are already well on their way.
func (i *Index) wait(ctx context.Context, ts *tasks) error {
	for n, uid := range ts.uids {
		if err := i.waitTask(ctx, uid); err != nil {
			return fmt.Errorf("%s: %w", ts.what[n], err)
		}
	}
	return nil
}

// waitTask waits for one task and turns a failed or canceled one into a
// *TaskError: WaitForTask itself returns those without an error.
func (i *Index) waitTask(ctx context.Context, uid int64) error {
	t, err := i.client.WaitForTaskWithContext(ctx, uid, taskPoll)
	if err != nil {
		return fmt.Errorf("wait for task %d: %w", uid, clean(err))
	}
	if t.Status != meilisearch.TaskStatusSucceeded {
		return &TaskError{
			UID: uid, Index: t.IndexUID, Type: string(t.Type), Status: string(t.Status),
			Code: t.Error.Code, Message: t.Error.Message,
		}
	}
	return nil
}
