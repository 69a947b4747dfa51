package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"crossguard"
)

// warningFile is the JSON file of `operation warn`: the body of POST
// /api/v1/operations/{id}/warnings.
type warningFile struct {
	Identifiers      []crossguard.Identifier  `json:"identifiers"`
	ExpectedCrossing string                   `json:"expected_crossing"`
	Window           crossguard.WarningWindow `json:"window"`
	Reason           string                   `json:"reason"`
	SuggestedChannel string                   `json:"suggested_channel"`
	To               []string                 `json:"to"`
	Marking          crossguard.Marking       `json:"marking"`
}

// runOperationWarn sends a warning in an operation.
func runOperationWarn(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation warn", "operation warn OP_ID FILE.json [flags]", `
Sends a warning in an operation this node's agency takes part in, from
FILE.json ('-' reads stdin): the identifiers of the consignment or
conveyance (container, vehicle_plate, company_registration, waybill), the
expected crossing, the window, the reason and the suggested channel, and
optionally the participants to send it to ("to"; default: all) and a
marking (default: the operation's). On every participant's node, while
the window runs, a declaration carrying one of the identifiers goes to the
suggested channel with a reason naming the warning and this agency.

Example FILE.json:
  {"identifiers": [{"type": "container", "value": "MSKU1234565"}],
   "expected_crossing": "Sost",
   "window": {"from": "2026-12-01T06:00:00Z", "to": "2026-12-03T18:00:00Z"},
   "reason": "dried fruit from Kandahar on an unusual route; heroin suspected",
   "suggested_channel": "red"}

Example:
  crossguard operation warn 0193a8d2-... warning.json`)
	c.register(fs, env)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return helpOK(err)
	}
	var in warningFile
	if err := readRecordFile(env, pos[1], "a warning", &in); err != nil {
		return err
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		w, err := o.Node.Cooperation.CreateWarning(ctx, cliActor(env), pos[0], &crossguard.Warning{Header: crossguard.Header{Marking: in.Marking},
			Identifiers: in.Identifiers, ExpectedCrossing: in.ExpectedCrossing, Window: in.Window, Reason: in.Reason,
			SuggestedChannel: in.SuggestedChannel, To: in.To})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Warning %s sent to %s: channel %s at %s from %s to %s.\n", w.ID, strings.Join(w.Recipients, ", "),
			w.SuggestedChannel, w.ExpectedCrossing, w.Window.From.Format(time.RFC3339), w.Window.To.Format(time.RFC3339))
		return nil
	})
}

// runOperationWithdraw withdraws a warning of this node.
func runOperationWithdraw(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation withdraw", "operation withdraw WARNING_ID [flags]", `
Withdraws a warning of this node: its tombstone reaches every participant,
and declarations decided from then on no longer see it. Only the node that
sent a warning withdraws it.

Example:
  crossguard operation withdraw 0193a8d2-...`)
	c.register(fs, env)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		if err := o.Node.Cooperation.WithdrawWarning(ctx, cliActor(env), pos[0]); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Warning %s withdrawn.\n", pos[0])
		return nil
	})
}

// runOperationFeedback answers a warning.
func runOperationFeedback(ctx context.Context, env *Env, args []string) error {
	var c commonFlags
	fs := newFlagSet(env, "operation feedback", "operation feedback WARNING_ID --result RESULT [--seizure ID] [--notes TEXT] [--reason TEXT] [flags]", `
Answers a warning this node was sent: what came of it. The feedback goes to
every participant of the operation, the warning's sender among them.
--result is one of `+strings.Join(crossguard.FeedbackResults, ", ")+`;
not_inspected needs --reason. --seizure links a seizure of this node (with
--result seized), which is then shared with the operation's participants.

Examples:
  crossguard operation feedback 0193a8d2-... --result seized --seizure 0193a6f4-... --notes "12.5 kg in a false floor"
  crossguard operation feedback 0193a8d2-... --result not_inspected --reason "scanner down"`)
	c.register(fs, env)
	result := fs.String("result", "", "what came of the warning: "+strings.Join(crossguard.FeedbackResults, ", ")+" (required)")
	seizure := fs.String("seizure", "", "id of the seizure of this node that followed (with --result seized)")
	notes := fs.String("notes", "", "notes for the participants")
	reason := fs.String("reason", "", "why the consignment was not inspected (with --result not_inspected)")
	var m markingFlags
	m.register(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return helpOK(err)
	}
	return withNode(ctx, env, &c, func(o *opened) error {
		f, err := o.Node.Cooperation.CreateFeedback(ctx, cliActor(env), pos[0], &crossguard.Feedback{Header: crossguard.Header{Marking: m.marking()},
			Result: *result, SeizureID: *seizure, Notes: *notes, NotInspectedReason: *reason})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Feedback %s on warning %s: %s; sent to %s.\n", f.ID, f.Warning, f.Result, strings.Join(f.Recipients, ", "))
		return nil
	})
}
