package search

import (
	"context"
	"errors"
	"fmt"

	"github.com/meilisearch/meilisearch-go"
)

// tasks collects enqueued tasks so that they can all be waited for at once.
type tasks struct {
	list []task
}

type task struct {
	uid  int64
	what string // for errors: "settings of hp_units_next"
	ok   string // an error code that still counts as success, if any
}

// add records an enqueued task, or returns the enqueue error. A task that
// fails with the error code okCode (if given) counts as a success: e.g.
// creating an index that a concurrent or interrupted build already created.
func (ts *tasks) add(what string, info *meilisearch.TaskInfo, err error, okCode ...string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, clean(err))
	}
	t := task{uid: info.TaskUID, what: what}
	if len(okCode) > 0 {
		t.ok = okCode[0]
	}
	ts.list = append(ts.list, t)
	return nil
}

// wait waits for every task in order and fails on the first one that did
// not succeed. Meilisearch runs tasks in order, so by the time the first
// has finished the others are already well on their way.
func (i *Index) wait(ctx context.Context, ts *tasks) error {
	for _, t := range ts.list {
		err := i.waitTask(ctx, t.uid)
		var te *TaskError
		if errors.As(err, &te) && t.ok != "" && te.Code == t.ok {
			continue
		}
		if err != nil {
			return fmt.Errorf("%s: %w", t.what, err)
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
